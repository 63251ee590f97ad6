"""Internships' writes (:mod:`.services`), kept in a package of their own so that the
app's other services stay in the placements helper's modules."""
