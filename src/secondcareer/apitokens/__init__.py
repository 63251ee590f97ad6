"""API tokens: long random bearer tokens for the JSON API, stored only as a SHA-256
hash. A token acts as its user; what the user may do still comes from their roles in
each program (:mod:`secondcareer.people.access`)."""
