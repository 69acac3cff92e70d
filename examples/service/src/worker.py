"""Example service: a background worker that fetches reports."""
import requests
import yaml


def fetch(url):
    return yaml.safe_load(requests.get(url, timeout=10).text)
