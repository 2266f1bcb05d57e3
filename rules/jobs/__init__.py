"""Rules about Jobs and CronJobs."""
