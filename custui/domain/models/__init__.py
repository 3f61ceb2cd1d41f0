"""What the YAML files mean once validated: loyalty, care, surveys and segments rules as
pydantic models (config/ parses and checks the files into these; the domain reads them)."""
