"""Exchange with CAT tools: XLIFF 1.2 (units to translate), TMX 1.4b (memory), TBX (termbase).

Each format is a module of its own with a writer and, where pubflow reads the
format back, a reader; ``xmlfiles`` parses files from outside safely.
"""
