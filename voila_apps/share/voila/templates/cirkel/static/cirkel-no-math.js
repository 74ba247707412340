/* Cirkel's pages have no mathematics, and load no MathJax.
 *
 * Voilà's front end always activates one of JupyterLab's MathJax plugins: MathJax 3 from its bundle
 * (some 880 KB of script fetched and run on every page, to find no formula), or the MathJax 2 plugin,
 * which loads MathJax from a URL the first time a widget or output asks for typesetting, and fails
 * with an error on every page when given none. grading.servers.no_math gives it this file as
 * that URL: the calls JupyterLab's plugin and ipywidgets make on MathJax 2, answered by doing nothing.
 */
window.MathJax = {
  Hub: {
    Config: function () {},
    Configured: function () {},
    Queue: function () {},
    Register: { StartupHook: function () {} },
  },
};
