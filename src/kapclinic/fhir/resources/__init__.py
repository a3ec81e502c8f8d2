"""One module per FHIR resource mapping; `registry.RESOURCES` lists them."""
