"""The demo's science: summary statistics of a small light curve, printed to the session log."""
import csv
import statistics
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "data.csv"
with open(path, newline="") as f:
    rows = [row for row in csv.DictReader(f)]
flux = [float(row["flux"]) for row in rows]
print(f"{len(flux)} points from {rows[0]['time']} to {rows[-1]['time']}")
print(f"mean flux {statistics.mean(flux):.4f}, stdev {statistics.stdev(flux):.4f}")
print(f"brightest at t={max(rows, key=lambda r: float(r['flux']))['time']}")
