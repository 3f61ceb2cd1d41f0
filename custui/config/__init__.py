"""Loading and validating the YAML config files into typed, frozen models."""
