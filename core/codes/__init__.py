"""Card codes: platform profiles, normalization, ambiguity and validation."""

from core.codes.check import CheckResult, CheckWarning, check_code
from core.codes.normalize import Change, Normalized, normalize
from core.codes.profiles import FieldFormat, Profile, ProfileError, get_profile, load_profiles

__all__ = [
    "Change",
    "CheckResult",
    "CheckWarning",
    "FieldFormat",
    "Normalized",
    "Profile",
    "ProfileError",
    "check_code",
    "get_profile",
    "load_profiles",
    "normalize",
]
