"""What a provider is for Anyscale, as data: register inputs, their flags and resource-file keys."""
