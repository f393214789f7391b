"""Reference data and the programme: municipalities, organisations, partnerships, targets."""
