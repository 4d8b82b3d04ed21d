# Drives the console in tmux at a fixed size (STYLE.md 17): wait for a
# condition on the screen, never for a fixed time. Sourced after lib.sh.

TMUX_N=0
TMUX_SOCK="$WORK/tmux.0.sock"
tmx() { tmux -u -S "$TMUX_SOCK" "$@"; }

# console_start COLS ROWS [dlc args...]: dlc in a fresh tmux session.
console_start() {
	cols=$1 rows=$2
	shift 2
	tmx kill-server 2>/dev/null
	# A fresh server each time: a dying one must not race the next session.
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK="$WORK/tmux.$TMUX_N.sock"
	# The variables the console needs, passed explicitly: tmux's server does not inherit them.
	tmx new-session -d -s dlc -x "$cols" -y "$rows" \
		env HOME="$HOME" AWS_CONFIG_FILE="$AWS_CONFIG_FILE" \
		AWS_SHARED_CREDENTIALS_FILE="$AWS_SHARED_CREDENTIALS_FILE" DLC_CONFIG="$DLC_CONFIG" \
		DLC_THEMES_DIR="$SRCDIR/themes" LC_ALL=C.UTF-8 TERM=tmux-256color ${CONSOLE_ENV:-} \
		"$DLC" "$@"
	tmx set-option -t dlc remain-on-exit on >/dev/null
}

screen() { tmx capture-pane -p -t dlc; }
screen_colors() { tmx capture-pane -p -e -t dlc; }
send() { tmx send-keys -t dlc "$@"; }
resize() { tmx resize-window -t dlc -x "$1" -y "$2"; }
pane_dead() { [ "$(tmx display-message -p -t dlc '#{pane_dead}')" = 1 ]; }

# wait_for NAME TEXT [SECONDS]: passes when TEXT appears on the screen.
wait_for() {
	name=$1 text=$2 limit=${3:-10}
	end=$(( $(date +%s) + limit ))
	while [ "$(date +%s)" -le "$end" ]; do
		case "$(screen)" in
		*"$text"*) pass "$name"; return 0 ;;
		esac
		sleep 0.05
	done
	fail "$name" "waited ${limit}s for: $text" "screen:" "$(screen)"
	return 1
}

# wait_gone NAME TEXT [SECONDS]: passes when TEXT has left the screen.
wait_gone() {
	name=$1 text=$2 limit=${3:-10}
	end=$(( $(date +%s) + limit ))
	while [ "$(date +%s)" -le "$end" ]; do
		case "$(screen)" in
		*"$text"*) sleep 0.05 ;;
		*) pass "$name"; return 0 ;;
		esac
	done
	fail "$name" "waited ${limit}s for this to go: $text" "screen:" "$(screen)"
	return 1
}

console_stop() {
	tmx kill-server 2>/dev/null
}
