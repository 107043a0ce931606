"""Language knowledge: lexicons, gazetteers, morphology, transliteration, and the data files behind them."""
