"""Reading untrusted files into the typed content model, collecting every problem on the way."""
