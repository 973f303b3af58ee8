"""Reading a message: normalisation, the name index, morphology, question words, aspects, the one Query."""
