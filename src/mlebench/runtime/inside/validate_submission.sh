#!/bin/bash
# Check a submission's validity with the benchmark's validation endpoint (never gives a score).
# Usage: /home/validate_submission.sh /home/submission/submission.csv
SUBMISSION_FILE=${1:-/home/submission/submission.csv}
SERVER_URL="${MLEBENCH_VALIDATION_URL:-http://localhost:5000/validate}"
if [ ! -f "$SUBMISSION_FILE" ]; then
    echo "File $SUBMISSION_FILE does not exist."
    exit 1
fi
if command -v curl >/dev/null 2>&1; then
    curl -s --noproxy "*" -X POST -F "file=@${SUBMISSION_FILE}" "${SERVER_URL}"
else
    python3 - "$SUBMISSION_FILE" "$SERVER_URL" <<'PY'
import sys, urllib.request, uuid
path, url = sys.argv[1], sys.argv[2]
boundary = uuid.uuid4().hex
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"submission.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n").encode() + open(path, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
req = urllib.request.Request(url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
try:
    print(urllib.request.urlopen(req).read().decode())
except urllib.error.HTTPError as e:
    print(e.read().decode())
PY
fi
echo
