"""Text tools every stage shares: sentences, tokens and chunks, facts and claims, the support test,
and the `Similarity` interface (see `text.similarity` for the table of similarities).

Nothing here knows about sources, briefs or engines beyond the models passed in: these are pure
functions over sentences.
"""
