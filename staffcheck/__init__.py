"""staffcheck: can your people carry out your marketing strategy?"""

__version__ = "0.1.0"
