"""fakeaws: a local AWS-compatible endpoint for dlc's tests (stdlib only).

One module per service (sts, sso, oidc, lambda_), one shared SigV4 checker
(sigv4), error shapes per wire protocol (errors), seeded state (state), fault
injection (faults) and the HTTP front end that routes between them (server).
"""
