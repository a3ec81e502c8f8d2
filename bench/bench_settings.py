"""The deployed settings with the benchmark's URLs (bench_urls: kapclinic's and the floors)."""

from kapclinic.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
