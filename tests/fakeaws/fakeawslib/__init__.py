"""fakeaws: a local AWS-compatible endpoint for dlc's tests (stdlib only).

One module per service (sts, sso, oidc, lambda_, events, logs,
cloudwatch), one shared SigV4 checker (sigv4), error shapes per wire
protocol (errors), seeded state (state), log storage and generation
(logstore, loggen), the filter-pattern matcher (filterpattern), fault
injection (faults) and the HTTP front end that routes between them (server).
"""
