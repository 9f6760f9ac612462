"""Every query and write of the API lives here; routes only parse and call."""
