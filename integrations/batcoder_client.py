"""A stdlib-only client of `batcoder serve` (src/serve, docs/serve.md), shared by the OpenRLHF
and verl integrations. No third-party import: it loads inside any Ray worker.

Every number comes from the server, which computes it with the local trainer's own functions:
this file only moves JSON. Errors from the server (a 4xx naming the limit or field, a 504 on a
timed-out computation) are raised as BatCoderError with the server's message.
"""
import json
import os
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:5000"


class BatCoderError(RuntimeError):
    def __init__(self, status, body):
        self.status = status
        self.body = body
        super().__init__(f"batcoder serve answered {status}: {body.get('error')}: {body.get('message')}")


def parse_label(label):
    """A BatCoder label: a dict or a JSON string of {code, lang[, style, metric, signature, signature_hint]}."""
    if isinstance(label, str):
        label = json.loads(label)
    if not isinstance(label, dict) or not isinstance(label.get("code"), str) or not isinstance(label.get("lang"), str):
        raise ValueError("a BatCoder label must be {'code': str, 'lang': str, ...} (or a JSON string of one)")
    return label


class BatCoderClient:
    def __init__(self, url=None, timeout=180.0):
        self.url = (url or os.environ.get("BATCODER_URL") or DEFAULT_URL).rstrip("/")
        self.timeout = timeout

    def post(self, path, payload):
        data = json.dumps(payload).encode("utf-8")
        req = urllib.request.Request(self.url + path, data=data, headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return json.loads(res.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            try:
                body = json.loads(e.read().decode("utf-8"))
            except ValueError:
                body = {"error": "http", "message": str(e)}
            raise BatCoderError(e.code, body) from None

    def format(self, doc, code, lang, extract=None):
        """R_doc in {0, 0.5, 1} and the doc stage 2 sees ('' when unusable)."""
        payload = {"doc": doc, "code": code, "lang": lang}
        if extract:
            payload["extract"] = extract
        return self.post("/v1/format", payload)

    def stage2_prompt(self, doc, lang, style="qwen2-chat", code=None, signature_hint=False, signature=None):
        payload = {"doc": doc, "lang": lang, "style": style, "signature_hint": bool(signature_hint)}
        if code is not None:
            payload["code"] = code
        if signature is not None:
            payload["signature"] = signature
        return self.post("/v1/stage2-prompt", payload)

    def similarity(self, pairs, metric="cssg"):
        """S per {a, b, lang[, extract]} pair."""
        return self.post("/v1/similarity", {"pairs": pairs, "metric": metric})["scores"]
