"""What Cirkel needs of the machine: free ports, processes, files written whole, the hub's folder."""
