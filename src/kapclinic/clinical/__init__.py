"""Pure clinical rules: no Django, no kapclinic app; frozen dataclasses in and out."""
