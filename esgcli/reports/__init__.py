"""Annual improvement report: data (pure), Excel and HTML writers."""
