#!/bin/sh
# Make a CUPS print queue named "PDF" that writes every job as a PDF file, so the
# printing tests can send a real job through a real spooler. Run as root; safe to
# run again: each step checks first and only does what is missing.
#
# Debian/Ubuntu: installs cups and printer-driver-cups-pdf if they are absent.
# Output lands in the "Out" folder of /etc/cups/cups-pdf.conf (${HOME}/PDF of the
# user who printed, by default).
set -eu

QUEUE="${QUEUE:-PDF}"

if [ "$(id -u)" -ne 0 ]; then
    echo "setup_cups_pdf.sh: must run as root" >&2
    exit 1
fi

if ! command -v cupsd >/dev/null 2>&1 || [ ! -d /usr/share/ppd/cups-pdf ]; then
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y --no-install-recommends cups printer-driver-cups-pdf
    else
        echo "setup_cups_pdf.sh: install CUPS and cups-pdf with this system's package manager" >&2
        exit 1
    fi
fi

# Start the scheduler unless it already answers.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
    if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
        systemctl start cups
    else
        cupsd  # forks into the background
    fi
    tries=0
    until lpstat -r 2>/dev/null | grep -q "is running"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "setup_cups_pdf.sh: cupsd did not start" >&2
            exit 1
        fi
        sleep 0.1
    done
fi

# Create the queue unless it exists.
if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
    ppd=""
    for candidate in /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd \
                     /usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd \
                     /usr/share/ppd/cups-pdf/CUPS-PDF.ppd; do
        if [ -f "$candidate" ]; then
            ppd="$candidate"
            break
        fi
    done
    if [ -n "$ppd" ]; then
        lpadmin -p "$QUEUE" -E -v cups-pdf:/ -P "$ppd"
    else
        lpadmin -p "$QUEUE" -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
    fi
fi

# A queue left disabled or rejecting jobs by an earlier failure would hang the tests.
cupsenable "$QUEUE"
cupsaccept "$QUEUE"

out=$(sed -n 's/^Out[[:space:]]\{1,\}//p' /etc/cups/cups-pdf.conf 2>/dev/null | tail -n 1)
echo "queue $QUEUE ready; cups-pdf writes to ${out:-\${HOME\}/PDF}"
