#!/bin/sh
# The console and dlc.ini's environments, in tmux against fakeaws: an
# environment whose credentials reach another account than its account =
# shows nothing of that account (no list, no logs, no "creds ok"); two
# environments in one account each list their own functions and the
# unmatched ones, and A shows everything the account holds.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"
trap 'console_stop; cleanup' EXIT INT TERM

start_fakeaws
write_static_profiles
write_dlc_ini
alpha_account=$(seed_value account alpha)
sandbox_account=$(seed_value account sandbox)

# 1. Another account than account = is refused, with the fix.
set_env_account alpha "$sandbox_account"
console_start 200 40 -e alpha
wait_for "the wrong account is named" "profile 'alpha' reaches account $alpha_account but dlc.ini says $sandbox_account for env alpha"
wait_for "the fix is shown" "fix the profile or account = in [env alpha]"
wait_for "the header says the credentials are in error" "creds error"
expect_not_contains "the header never says creds ok" "creds ok" "$(screen)"
expect_not_contains "no function of the other account is shown" "mambu-to-s3-raw" "$(screen)"
send r
wait_for "a refresh is refused too" "WrongAccount"
expect_not_contains "a refresh shows no function of the other account" "mambu-to-s3-raw" "$(screen)"
send :
send -l "logs mambu-to-s3-raw"
send Enter
wait_for "the log view is refused with the same error" "WrongAccount"
expect_not_contains "no log view opened" "logs (" "$(screen)"
send :
send -l "env sandbox"
send Enter
wait_for "another environment still lists" "functions (sandbox) $(seed_value count sandbox 0)/"
send :
send -l "q"
send Enter
console_stop

set_env_account alpha "$alpha_account"
console_start 200 40 -e alpha
wait_for "with the right account = the functions are listed" "functions (alpha) $(seed_value count alpha 0)/"
wait_for "and the credentials are ok" "creds ok"
send :
send -l "q"
send Enter
console_stop

# 2. alpha and sandbox in one account.
shared_account_seed
start_fakeaws --seed-dir "$WORK/shared-seed"
write_static_profiles
write_dlc_ini alpha alpha
console_start 200 40 -e alpha
wait_for "shared account: alpha lists its 7 and the unmatched one" "functions (alpha) 8/8"
wait_for "shared account: the unmatched one is marked" "unmatched"
expect_not_contains "shared account: no sandbox function under alpha" "datalake-sandbox-" "$(screen)"
send A
wait_for "shared account: A shows the whole account" "functions (alpha, whole account) 15/15"
wait_for "shared account: sandbox's functions are marked with their environment" "env sandbox"
expect_contains "shared account: sandbox's function by its AWS name" "datalake-sandbox-mambu-to-s3-raw" "$(screen)"
send A
wait_for "shared account: A again shows alpha's own" "functions (alpha) 8/8"
wait_gone "shared account: sandbox's functions are gone again" "datalake-sandbox-"
send :
send -l "env sandbox"
send Enter
wait_for "shared account: sandbox lists its 7 and the unmatched one" "functions (sandbox) 8/8"
expect_not_contains "shared account: no alpha function under sandbox" "datalake-alpha-" "$(screen)"
send "?"
wait_for "the help lists A with its text" "Show every function of the account"
send Escape
send :
send -l "q"
send Enter
console_stop

# 3. account = set and credentials that take 2 s: no log view opens before
# the account is checked, and it opens once it is.
slow_process_profile slow alpha 2
write_dlc_ini slow alpha
set_env_account alpha "$alpha_account"
console_start 200 40 -e alpha
send :
send -l "logs mambu-to-s3-raw"
send Enter
wait_for "unchecked account: the log view waits for the check" "AccountNotChecked"
wait_for "unchecked account: the list comes once the account is checked" "functions (alpha) 8/8" 10
send :
send -l "logs mambu-to-s3-raw"
send Enter
wait_for "checked account: the log view opens" "logs (alpha)"
send :
send -l "q"
send Enter
console_stop

finish
