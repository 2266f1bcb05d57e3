"""Rules about volumes and how they are mounted."""
