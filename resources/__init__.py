"""Data shipped with cardbind: platform profiles, knowledge base, translations, icons.

A package only so that the files travel with an installed wheel; it holds no code.
"""
