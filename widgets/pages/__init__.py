"""The learner's own pages: "Mina moduler", "Lämna in" and the widget gallery for course authors."""
