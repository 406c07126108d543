"""The API's shared pieces: router, parsers, error shape, pagination, tokens."""
