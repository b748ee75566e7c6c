#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Media seeking in headless Chromium, served by `tern serve`: an <audio> element loads a
# 4-minute WAV file and its script seeks to 90 % of it. Chromium fetches media with Range
# requests (bytes=0-, then bytes=N- from where it seeks); the page reports where it landed,
# Chromium's NetLog shows the ranges it asked for, and the server's log the 206 answers
# with the lengths those ranges call for.
# Usage: bash tests/cli/serve_media_seek.sh /path/to/tern
set -uo pipefail
source "$(dirname "$0")/lib.sh"
lib_init serve_media_seek "$@"
require_chromium
make_pki
make_docroot
# 240 s of a 440 Hz tone, 22,050 samples/s, 16-bit mono PCM: 10,584,044 bytes.
python3 - "$www/tone.wav" <<'PY'
import math, struct, sys
rate, seconds = 22050, 240
second = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                  for i in range(rate))
with open(sys.argv[1], "wb") as f:
    size = rate * seconds * 2
    f.write(b"RIFF" + struct.pack("<I", 36 + size) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" +
            struct.pack("<I", size))
    for _ in range(seconds):
        f.write(second)
PY
wav_size=$(stat -c %s "$www/tone.wav")
cat >"$www/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>tern media seek</title></head>
<body><audio id="a" src="/tone.wav" preload="auto"></audio>
<script>
// Seeks once the length is known; reports where the seek landed, or the media error.
const a = document.getElementById("a");
const report = (text) => {
  const p = document.createElement("p");
  p.id = "report";
  p.textContent = text;
  document.body.appendChild(p);
};
a.addEventListener("loadedmetadata", () => { a.currentTime = a.duration * 0.9; });
a.addEventListener("seeked", () =>
  report(`seeked-to=${Math.round(a.currentTime)} duration=${Math.round(a.duration)}`));
a.addEventListener("error", () => report(`media-error=${a.error && a.error.code}`));
</script></body></html>
HTML
start_serve --workers 1

chromium_trust_root "$pki/root.pem"
check "NSS database trusts the test root" eval 'exit_is 0 && says tern-test-root'

netlog=$work/netlog.json
run_chromium "https://localhost:$port/index.html" --log-net-log="$netlog" \
  --autoplay-policy=no-user-gesture-required --virtual-time-budget=15000
check "chromium loads the page and seeks the audio to 216 s of 240" \
  eval 'exit_is 0 && says "seeked-to=216 duration=240"'

# The ranges Chromium asked for, from its NetLog's request headers.
out=$(python3 -c '
import re, sys
print(" ".join(sorted(set(re.findall(r"range: bytes=[0-9]+-[0-9]*", open(sys.argv[1]).read())))))
' "$netlog" 2>&1)
note "chromium asked for: $out"
# The first range that does not start at 0: "bytes=N-" or "bytes=N-M".
seek_range=$(grep -oE 'bytes=[1-9][0-9]*-[0-9]*' <<<"$out" | head -n 1)
seek_from=${seek_range#bytes=}
seek_from=${seek_from%-*}
seek_to=${seek_range##*-}
[[ -n $seek_range && -z $seek_to ]] && seek_to=$((wav_size - 1))
check "chromium asked for bytes=0- and, to seek, for a range from the middle ($seek_range)" \
  eval 'says "range: bytes=0-" && [[ -n $seek_range ]]'

out=$(cat "$serve_log")
expected=$((${seek_to:-0} - ${seek_from:-0} + 1))
check "tern serve answered the seek with 206 and the $expected bytes asked for" \
  eval '[[ -n $seek_range ]] && grep -qE "\"GET /tone.wav HTTP/(2|1.1)\" 206 $expected " "$serve_log"'

check "tern serve still running" serve_alive
stop_serve
check "SIGTERM stops tern serve with exit 0" eval '[[ $serve_status -eq 0 ]]'
finish
