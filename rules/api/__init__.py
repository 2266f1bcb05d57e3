"""Rules about the API itself: schemas, API versions and fields that are deprecated or removed."""
