"""Rules about kernel parameters (sysctls) set by pods."""
