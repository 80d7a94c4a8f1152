"""Character traits derived from molecular facts (fashion styles, features, colours, ...)."""
