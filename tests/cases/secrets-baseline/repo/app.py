import os

password = "k3Lq8VzP0wXbR7"
api_key = os.environ["API_KEY"]
FIXTURE = "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"  # pragma: allowlist secret
