"""Rules about ServiceAccounts and the credentials pods receive."""
