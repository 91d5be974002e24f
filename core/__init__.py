"""Qt-free domain of cardbind: codes, profiles, binding, knowledge base, secrets, history."""
