"""## What it does
Flags a CronJob whose `successfulJobsHistoryLimit` or
`failedJobsHistoryLimit` is above a maximum (the `max` option, default 10).

## Why is this bad?
Every finished Job the CronJob keeps also keeps its Pods (and their logs on
the nodes). A frequent schedule with a high history limit leaves hundreds of
completed Pods in the namespace: they load the API server and etcd, slow down
`kubectl get pods`, and count against object quotas. The defaults are 3
successful and 1 failed Job; keeping more is rarely what anyone reads.

## How to fix
Keep a few Jobs and ship logs elsewhere:

```yaml
spec:
  schedule: "*/5 * * * *"
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
```

## References
- Jobs history limits: https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#jobs-history-limits
- Operations practice: CronJobs keep failedJobsHistoryLimit (default 1) and successfulJobsHistoryLimit (default 3) finished Jobs.
"""

from k8slint.engine import Finding, Option, rule


@rule(scope="object", id="cronjob-history-limits", severity="warning", category="efficiency", applies_to={"CronJob"},
      summary="A CronJob keeps too many finished Jobs",
      options={"max": Option(10, "the largest history limit accepted", "int")})
def check(obj, ctx):
    maximum = ctx.options["max"]
    spec = obj.spec
    for field, what in (("successfulJobsHistoryLimit", "successful"), ("failedJobsHistoryLimit", "failed")):
        value = spec.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and value > maximum:
            yield Finding(("spec", field),
                          f"CronJob {obj.name!r} keeps {value} {what} Jobs (and their Pods); "
                          f"at most {maximum} is allowed here")
