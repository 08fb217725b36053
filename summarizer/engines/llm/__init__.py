"""The LLM engine over any OpenAI-compatible endpoint; the only code that talks HTTP.

    engine     chunk notes -> per-source summary (notes reduced in rounds when they do not fit)
    synthesis  the brief's sections from the summaries and the alignment; a prompt that fits the window
    client     chat completions with validated structured answers (re-asks, format degradation)
    gate       what every request waits for: in-flight slots, per-minute limits, the --max-cost budget
    retry      the one retry layer for network faults; SDK errors translated into ours (a table)
    cache      answers on disk, so a re-run makes no call
    config     LLMOptions resolved against the environment; token budgets
    schema     the pydantic answers asked of the model
    usage      calls, tokens, seconds and cost per stage
    prompts    prompts/*.j2 loaded and rendered, article text delimited as data
    constants  every retry, timeout and budget number

Nothing is imported here: the openai SDK takes a third of a second to import, and only runs that use
this engine should pay it (`summarizer.engines` imports `engine` when the engine is created).
"""
