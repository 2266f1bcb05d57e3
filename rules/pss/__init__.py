"""Pod Security Standards: one rule per control of the Baseline and Restricted levels."""
