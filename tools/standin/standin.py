#!/usr/bin/env python3
"""A stand-in for GitHub's Actions API and Discord's webhook API on loopback, to try the ops commands
(/deploy-client, /diagnose, /verify-latest, /verify-run) with `serve` and no AWS, GitHub or Discord.

Run it (Python 3.9+, standard library only):

    python3 tools/standin/standin.py                  # http://127.0.0.1:8090, runs take 40 s
    python3 tools/standin/standin.py --help           # the switches: failures, refusals, timing
    python3 tools/standin/standin.py --self-test      # checks every endpoint on a free loopback port, then exits

then start serve with GITHUB_API_BASE=http://127.0.0.1:8090 and DISCORD_API_BASE=http://127.0.0.1:8090
(TESTING_GUIDE.md, "Ops actions locally"). Stdout shows what the bot would show in Discord (every edit of a
reply, every alert); stderr shows every request. Any token is accepted; nothing here is a secret.

What it serves (GitHub docs: https://docs.github.com/en/rest/actions, Discord docs:
https://discord.com/developers/docs/interactions/receiving-and-responding):
  GET  /repos/{o}/{r}/actions/workflows[/{id|file}]           two workflow_dispatch workflows
  POST /repos/{o}/{r}/actions/workflows/{id|file}/dispatches   starts a run (200 with run details, or 204)
  GET  /repos/{o}/{r}/actions/workflows/{id|file}/runs, /repos/{o}/{r}/actions/runs
       (event, status, branch, created, per_page, page)     newest first
  GET  /repos/{o}/{r}/actions/runs/{id}[/jobs|/artifacts]      queued -> in_progress -> completed by wall clock
  GET  /repos/{o}/{r}/actions/artifacts/{id}/zip               302 to /storage/..., a real zip with summary.json
  GET/PATCH/DELETE /repos/{o}/{r}/actions/variables/{NAME}, GET/POST /repos/{o}/{r}/actions/variables
  GET  /site/, /site/index.html, /api/health, /api/hello      the deploy target the variables point at
  GET/PATCH /webhooks/{app}/{token}/messages/@original, POST /webhooks/{app}/{token}, POST /channels/{id}/messages
"""

import argparse
import datetime
import io
import ipaddress
import json
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 1024 * 1024  # requests larger than this are refused: nothing the bot sends comes close
STORAGE_LINK_SECONDS = 60  # like GitHub's short-lived artifact links
DOCS = "https://docs.github.com/rest/actions"

# Each workflow: its inputs (name -> required) and its jobs, each a list of steps; the step that fails
# when a run's conclusion is failure is marked with "!". Later steps of that job are then skipped.
WORKFLOWS = [
    {"id": 161335, "name": "Client Deploy", "file": "client-deploy.yml", "title": "Deploy",
     "inputs": {"correlation_id": True, "requester": False, "api_base": False},
     "jobs": {"build": ["Set up job", "Check out", "Install and build", "Complete job"],
              "deploy": ["Set up job", "Download build", "!Sync to S3", "Invalidate CloudFront", "Complete job"]}},
    {"id": 161336, "name": "Diagnose on Demand", "file": "diagnose-on-demand.yml", "title": "Diagnose",
     "inputs": {"correlation_id": True, "requester": False, "frontend_url": False, "api_base": False},
     "jobs": {"diagnose": ["Set up job", "Check frontend and API", "Upload diagnose-summary",
                           "!Fail when a check failed", "Complete job"]}},
]


def iso(seconds):
    return datetime.datetime.fromtimestamp(int(seconds), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    """GitHub search dates: 2026-12-01, 2026-12-01T10:00:00Z or with an offset. Returns epoch seconds."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc).timestamp()
    value = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.timestamp()


def created_filter(spec):
    """A predicate on epoch seconds for GitHub's `created` search syntax: >=T, >T, <=T, <T, A..B, or a date/time."""
    for op, test in ((">=", lambda a, b: a >= b), ("<=", lambda a, b: a <= b),
                     (">", lambda a, b: a > b), ("<", lambda a, b: a < b)):
        if spec.startswith(op):
            bound = parse_time(spec[len(op):])
            return lambda t: test(t, bound)
    if ".." in spec:
        low, high = spec.split("..", 1)
        low_t = parse_time(low) if low not in ("", "*") else float("-inf")
        high_t = parse_time(high) if high not in ("", "*") else float("inf")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", high):
            high_t += 86400 - 1  # a date as the upper end includes that whole day
        return lambda t: low_t <= t <= high_t
    start = parse_time(spec)
    end = start + (86400 if re.fullmatch(r"\d{4}-\d{2}-\d{2}", spec.strip()) else 1)
    return lambda t: start <= t < end


class Run:
    """A workflow run whose status follows the clock: queued for the first fifth, then in progress, then done."""

    def __init__(self, run_id, number, workflow, inputs, ref, event, created, duration, conclusion):
        self.id, self.number, self.workflow, self.inputs = run_id, number, workflow, inputs
        self.ref, self.event, self.created, self.duration, self.conclusion = ref, event, created, duration, conclusion
        self.queued_for = max(1.0, duration / 5)

    def status(self, now):
        elapsed = now - self.created
        if elapsed < self.queued_for:
            return "queued"
        return "in_progress" if elapsed < self.duration else "completed"

    def title(self):
        correlation = self.inputs.get("correlation_id")
        # What `run-name: Deploy ${{ inputs.correlation_id }}` makes of the run's title.
        return f"{self.workflow['title']} {correlation}" if correlation else f"{self.workflow['title']} #{self.number}"


class State:
    """Everything the stand-in remembers, in memory, behind one lock."""

    def __init__(self, options, clock=time.time):
        self.options, self.clock, self.lock = options, clock, threading.Lock()
        self.base = f"http://127.0.0.1:{options.port}"
        self.runs = {}
        self.next_run_id = 7_000_000_001
        self.numbers = {w["id"]: 100 for w in WORKFLOWS}
        self.storage_links = {}  # token -> (artifact id, expiry)
        self.replies = {}  # interaction token -> last content
        self.reply_numbers = {}  # interaction token -> a short number to print instead of the token
        self.variables = {}
        now = clock()
        if not options.no_variables:
            self.variables["FRONTEND_BASE_URL"] = (f"{self.base}/site", now)
            self.variables["VITE_API_BASE"] = (f"{self.base}/api", now)
        # History for /verify-latest and digests before anything is dispatched: newest first, a success.
        deploy = WORKFLOWS[0]
        for hours, conclusion in ((50, "success"), (26, "failure"), (2, "success")):
            self.add_run(deploy, {}, "main", "push", now - hours * 3600, 95, conclusion)

    def add_run(self, workflow, inputs, ref, event, created, duration, conclusion):
        run_id = self.next_run_id
        self.next_run_id += 1
        self.numbers[workflow["id"]] += 1
        run = Run(run_id, self.numbers[workflow["id"]], workflow, inputs, ref, event, created, duration, conclusion)
        self.runs[run_id] = run
        return run

    def repo(self):
        return self.options.repo

    def run_json(self, run, now):
        status = run.status(now)
        started = run.created + (run.queued_for if status != "queued" else 0)
        updated = min(now, run.created + run.duration) if status == "completed" else max(run.created, now)
        return {
            "id": run.id, "name": run.workflow["name"], "display_title": run.title(), "run_number": run.number,
            "run_attempt": 1, "event": run.event, "status": status,
            "conclusion": run.conclusion if status == "completed" else None,
            "workflow_id": run.workflow["id"], "head_branch": run.ref, "head_sha": f"{run.id:040x}"[-40:],
            "path": f".github/workflows/{run.workflow['file']}",
            "url": f"{self.base}/repos/{self.repo()}/actions/runs/{run.id}",
            # The real page's address: what the bot links to, and what /verify-latest run_url: accepts.
            "html_url": f"https://github.com/{self.repo()}/actions/runs/{run.id}",
            "jobs_url": f"{self.base}/repos/{self.repo()}/actions/runs/{run.id}/jobs",
            "created_at": iso(run.created), "run_started_at": iso(started), "updated_at": iso(updated),
        }

    def jobs_json(self, run, now):
        """The run's jobs, one after the other; while it runs, each job's steps finish at even intervals."""
        status = run.status(now)
        failed = status == "completed" and run.conclusion == "failure"
        names = list(run.workflow["jobs"])
        span = max(1.0, (run.duration - run.queued_for) / len(names))
        running_for = now - run.created - run.queued_for
        jobs = []
        for index, name in enumerate(names):
            steps = run.workflow["jobs"][name]
            job_start = run.created + run.queued_for + index * span
            job_end = job_start + span
            job_steps, broken = [], False
            if status == "completed" or now >= job_end:
                for number, raw in enumerate(steps, start=1):
                    conclusion = "skipped" if broken else "success"
                    if failed and raw.startswith("!") and not broken:
                        conclusion, broken = "failure", True
                    job_steps.append({"name": raw.lstrip("!"), "number": number, "status": "completed",
                                      "conclusion": conclusion})
                job_status, job_conclusion = "completed", "failure" if broken else "success"
            elif status == "in_progress" and running_for >= index * span:
                step_time = span / len(steps)
                for number, raw in enumerate(steps, start=1):
                    ends = index * span + number * step_time
                    step_status = "completed" if running_for >= ends else (
                        "in_progress" if running_for >= ends - step_time else "queued")
                    job_steps.append({"name": raw.lstrip("!"), "number": number, "status": step_status,
                                      "conclusion": "success" if step_status == "completed" else None})
                job_status, job_conclusion = "in_progress", None
            else:
                job_status, job_conclusion = "queued", None
            job_id = run.id * 10 + index
            jobs.append({
                "id": job_id, "run_id": run.id, "name": name, "status": job_status, "conclusion": job_conclusion,
                "html_url": f"https://github.com/{self.repo()}/actions/runs/{run.id}/job/{job_id}",
                "started_at": iso(job_start) if job_status != "queued" else None,
                "completed_at": iso(min(job_end, run.created + run.duration)) if job_status == "completed" else None,
                "steps": job_steps,
            })
        return jobs

    def artifacts_json(self, run, now):
        if run.workflow["file"] != "diagnose-on-demand.yml" or run.status(now) != "completed":
            return []
        artifact_id = run.id + 500_000_000
        return [{
            "id": artifact_id, "name": "diagnose-summary", "size_in_bytes": len(self.summary_zip(run)),
            "expired": False, "created_at": iso(run.created + run.duration),
            "expires_at": iso(run.created + run.duration + 7 * 86400),
            "archive_download_url": f"{self.base}/repos/{self.repo()}/actions/artifacts/{artifact_id}/zip",
            "workflow_run": {"id": run.id, "head_branch": run.ref},
        }]

    def summary_zip(self, run):
        """The diagnose-summary artifact as upload-artifact leaves it: a zip holding summary.json."""
        frontend = run.inputs.get("frontend_url") or self.variable("FRONTEND_BASE_URL") or f"{self.base}/site"
        api = run.inputs.get("api_base") or self.variable("VITE_API_BASE") or f"{self.base}/api"
        summary = {"checks": [
            {"name": "frontend", "ok": True, "detail": f"GET {frontend}/ answered 200 in 0.21 s"},
            {"name": "frontend-index-cache", "ok": True, "detail": "index.html has Cache-Control: no-cache"},
            {"name": "api-health", "ok": True, "detail": f"GET {api}/health answered 200 in 0.08 s"},
            {"name": "api-hello", "ok": False, "detail": f"GET {api}/hello answered 502 in 0.05 s (a canned failure: the stand-in fetches nothing)"},
        ]}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("summary.json", json.dumps(summary, indent=2) + "\n")
        return buffer.getvalue()

    def variable(self, name):
        entry = self.variables.get(name.upper())
        return entry[0] if entry else None

    def reply_number(self, token):
        return self.reply_numbers.setdefault(token, len(self.reply_numbers) + 1)


class Handler(BaseHTTPRequestHandler):
    server_version = "valine-standin/1"
    protocol_version = "HTTP/1.1"

    @property
    def state(self):
        return self.server.state

    # --- plumbing -----------------------------------------------------------------------------------
    def log_message(self, fmt, *args):
        # The request line, with any interaction token replaced: tokens are credentials for 15 minutes.
        line = re.sub(r"(/webhooks/[^/]+/)[^/?\s]+", r"\1{token}", fmt % args)
        line = re.sub(r"(/storage/artifacts/[^/]+/)[^/?\s]+", r"\1{link}", line)
        sys.stderr.write(f"{time.strftime('%H:%M:%S')} {line}\n")

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        return json.loads(raw.decode("utf-8"))

    def send(self, status, payload=None, headers=None, content_type="application/json; charset=utf-8"):
        data = b""
        if isinstance(payload, bytes):
            data = payload
        elif payload is not None:
            data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data or status not in (204, 304):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and self.command != "HEAD":
            self.wfile.write(data)

    def github_error(self, status, message, headers=None):
        self.send(status, {"message": message, "documentation_url": DOCS, "status": str(status)}, headers)

    def not_found(self):
        self.github_error(404, "Not Found")

    def do_GET(self):
        self.route("GET")

    def do_HEAD(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PATCH(self):
        self.route("PATCH")

    def do_DELETE(self):
        self.route("DELETE")

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        path = url.path
        try:
            with self.state.lock:
                self.dispatch_route(method, path, query)
        except (ValueError, UnicodeDecodeError) as problem:
            self.github_error(400, f"Problems parsing JSON or request: {problem}")

    def dispatch_route(self, method, path, query):
        repo_prefix = f"/repos/{self.state.repo()}/actions/"
        if path.startswith("/repos/"):
            if not path.startswith(repo_prefix):
                return self.not_found()  # another repository: GITHUB_REPO and --repo disagree
            return self.github(method, path[len(repo_prefix):].split("/"), query)
        if path.startswith("/storage/artifacts/") and method == "GET":
            return self.storage(path.split("/")[3:])
        if path.startswith("/webhooks/"):
            return self.discord_webhook(method, path.split("/")[2:])
        if path.startswith("/channels/") and method == "POST":
            return self.discord_channel(path.split("/")[2:])
        if method == "GET" and path.startswith(("/site", "/api/")):
            return self.target(path)
        self.not_found()

    # --- GitHub -------------------------------------------------------------------------------------
    def github(self, method, parts, query):
        now = self.state.clock()
        if parts[0] == "workflows":
            return self.workflows(method, parts[1:], query, now)
        if parts[0] == "runs" and method == "GET":
            if len(parts) == 1:
                return self.runs_page(None, query, now)
            run = self.state.runs.get(int(parts[1])) if parts[1].isdigit() else None
            if run is None:
                return self.not_found()
            if len(parts) == 2:
                return self.send(200, self.state.run_json(run, now))
            if parts[2:] == ["jobs"]:
                return self.page("jobs", self.state.jobs_json(run, now), query)
            if parts[2:] == ["artifacts"]:
                artifacts = [a for a in self.state.artifacts_json(run, now) if query.get("name") in (None, a["name"])]
                return self.page("artifacts", artifacts, query)
        if parts[0] == "artifacts" and len(parts) == 3 and parts[2] == "zip" and method == "GET":
            return self.artifact_zip(parts[1], now)
        if parts[0] == "variables":
            return self.variables(method, parts[1:], now)
        self.not_found()

    def find_workflow(self, key):
        for workflow in WORKFLOWS:
            if key in (str(workflow["id"]), workflow["file"], f".github/workflows/{workflow['file']}"):
                return workflow
        return None

    def workflow_json(self, workflow):
        base, repo = self.state.base, self.state.repo()
        return {"id": workflow["id"], "node_id": f"W_{workflow['id']}", "name": workflow["name"],
                "path": f".github/workflows/{workflow['file']}", "state": "active",
                "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:00:00Z",
                "url": f"{base}/repos/{repo}/actions/workflows/{workflow['id']}",
                "html_url": f"https://github.com/{repo}/blob/main/.github/workflows/{workflow['file']}"}

    def workflows(self, method, parts, query, now):
        if not parts and method == "GET":
            return self.page("workflows", [self.workflow_json(w) for w in WORKFLOWS], query)
        workflow = self.find_workflow(parts[0]) if parts else None
        if workflow is None:
            return self.not_found()
        if len(parts) == 1 and method == "GET":
            return self.send(200, self.workflow_json(workflow))
        if parts[1:] == ["runs"] and method == "GET":
            return self.runs_page(workflow, query, now)
        if parts[1:] == ["dispatches"] and method == "POST":
            return self.dispatch(workflow, self.body(), now)
        self.not_found()

    def dispatch(self, workflow, body, now):
        options = self.state.options
        refusal = options.dispatch_status
        if refusal:
            reset = str(int(now) + 900)
            limited = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-used": "5000",
                       "x-ratelimit-reset": reset, "x-ratelimit-resource": "core"}
            if refusal == 404:
                return self.github_error(404, "Not Found")
            if refusal == 422:
                return self.github_error(422, 'Unexpected inputs provided: ["api_base"]')
            if refusal == 403:
                return self.github_error(403, "API rate limit exceeded for user ID 1000001. If you reach out to GitHub "
                                              "Support for help, please include the request ID.", limited)
            return self.github_error(429, "API rate limit exceeded for user ID 1000001.", limited)
        wants_details = body.get("return_run_details") is True
        if wants_details and options.reject_run_details:
            # What GitHub Enterprise Server 3.20 and older answers to a field it does not know.
            return self.github_error(400, 'Invalid request.\n\n"return_run_details" is not a permitted key.')
        ref = body.get("ref")
        if not isinstance(ref, str) or not ref:
            return self.github_error(422, 'Invalid request.\n\n"ref" wasn\'t supplied.')
        if ref not in ("main", "master", "develop") and not ref.startswith(("release/", "v")):
            return self.github_error(422, f"No ref found for: {ref}")
        inputs = body.get("inputs") or {}
        unexpected = sorted(name for name in inputs if name not in workflow["inputs"])
        if unexpected:
            return self.github_error(422, "Unexpected inputs provided: " + json.dumps(unexpected))
        for name, required in workflow["inputs"].items():
            if required and not inputs.get(name):
                return self.github_error(422, f"Required input '{name}' not provided")
        if any(not isinstance(value, str) for value in inputs.values()):
            return self.github_error(422, "Invalid request.\n\nFor 'properties/inputs', values must be strings.")
        run = self.state.add_run(workflow, dict(inputs), ref, "workflow_dispatch", now, options.run_seconds,
                                 options.conclusion)
        say(f"GitHub: dispatched {workflow['name']} on {ref} as run {run.id} \"{run.title()}\" "
            f"(inputs {json.dumps(inputs, sort_keys=True)}); it will end in {options.conclusion} "
            f"after {options.run_seconds:g} s")
        if wants_details and not options.no_run_details:
            return self.send(200, {"workflow_run_id": run.id,
                                   "run_url": f"{self.state.base}/repos/{self.state.repo()}/actions/runs/{run.id}",
                                   "html_url": f"https://github.com/{self.state.repo()}/actions/runs/{run.id}"})
        self.send(204)

    def runs_page(self, workflow, query, now):
        runs = [r for r in self.state.runs.values() if workflow is None or r.workflow is workflow]
        # A new run takes a few seconds to show up in lists (GET by id finds it at once).
        runs = [r for r in runs if now - r.created >= self.state.options.appear_seconds]
        if "event" in query:
            runs = [r for r in runs if r.event == query["event"]]
        if "branch" in query:
            runs = [r for r in runs if r.ref == query["branch"]]
        if "status" in query:
            wanted = query["status"]
            runs = [r for r in runs if wanted in (r.status(now), r.conclusion if r.status(now) == "completed" else None)]
        if "created" in query:
            try:
                keep = created_filter(query["created"])
            except ValueError:
                return self.github_error(422, "Validation Failed: created is not a valid date or range")
            runs = [r for r in runs if keep(int(r.created))]
        runs.sort(key=lambda r: (r.created, r.id), reverse=True)
        self.page("workflow_runs", [self.state.run_json(r, now) for r in runs], query)

    def page(self, field, items, query):
        """One page of a list endpoint, with GitHub's per_page (default 30, at most 100) and page."""
        try:
            per_page = min(100, max(1, int(query.get("per_page", 30))))
            number = max(1, int(query.get("page", 1)))
        except ValueError:
            return self.github_error(422, "Validation Failed: per_page and page are numbers")
        chosen = items[(number - 1) * per_page:number * per_page]
        self.send(200, {"total_count": len(items), field: chosen})

    def artifact_zip(self, artifact_id, now):
        for run in self.state.runs.values():
            for artifact in self.state.artifacts_json(run, now):
                if str(artifact["id"]) == artifact_id:
                    link = secrets.token_urlsafe(16)
                    self.state.storage_links[link] = (run.id, now + STORAGE_LINK_SECONDS)
                    location = f"{self.state.base}/storage/artifacts/{artifact_id}/{link}/diagnose-summary.zip"
                    return self.send(302, None, {"Location": location})
        self.not_found()

    def storage(self, parts):
        # Like GitHub's artifact storage: the link is the credential, and a request that also carries our
        # GitHub token is a bug in the client (the token must not leave GitHub's API host).
        if "Authorization" in self.headers:
            say("STORAGE: WARNING the artifact download carried an Authorization header; the GitHub token "
                "must not be sent to the storage host")
            return self.send(400, b"<Error><Code>InvalidAuthenticationInfo</Code></Error>", content_type="application/xml")
        link = self.state.storage_links.get(parts[1]) if len(parts) >= 2 else None
        if link is None or link[1] < self.state.clock():
            return self.send(403, b"<Error><Code>AuthenticationFailed</Code></Error>", content_type="application/xml")
        self.send(200, self.state.summary_zip(self.state.runs[link[0]]), content_type="application/zip")

    def variables(self, method, parts, now):
        variables = self.state.variables
        if not parts:
            if method == "GET":
                listed = [{"name": n, "value": v, "created_at": iso(t), "updated_at": iso(t)}
                          for n, (v, t) in sorted(variables.items())]
                return self.send(200, {"total_count": len(listed), "variables": listed})
            if method == "POST":
                body = self.body()
                name = str(body.get("name", "")).upper()
                if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", name) or name.startswith("GITHUB_") or "value" not in body:
                    return self.github_error(422, "Validation Failed")
                if name in variables:
                    return self.github_error(409, "Already exists - Variable already exists")
                variables[name] = (str(body["value"]), now)
                say(f"GitHub: variable {name} created = {body['value']}")
                return self.send(201, {})
            return self.not_found()
        name = parts[0].upper()
        if name not in variables:
            return self.not_found()
        if method == "GET":
            value, updated = variables[name]
            return self.send(200, {"name": name, "value": value, "created_at": iso(updated), "updated_at": iso(updated)})
        if method == "PATCH":
            body = self.body()
            if "value" not in body:
                return self.github_error(422, "Validation Failed")
            variables[name] = (str(body["value"]), now)
            say(f"GitHub: variable {name} updated = {body['value']}")
            return self.send(204)
        if method == "DELETE":
            del variables[name]
            say(f"GitHub: variable {name} deleted")
            return self.send(204)
        self.not_found()

    # --- the deploy target ------------------------------------------------------------------------
    def target(self, path):
        options = self.state.options
        if path in ("/site", "/site/", "/site/index.html"):
            cache = "public, max-age=3600" if options.stale_index else "no-cache"
            page = b"<!doctype html><html><head><title>client</title></head><body><div id=app></div></body></html>\n"
            return self.send(200, page, {"Cache-Control": cache, "ETag": '"standin-1"'}, "text/html; charset=utf-8")
        if path in ("/api/health", "/api/hello"):
            status = options.api_status
            answer = {"status": "ok"} if path.endswith("health") else {"message": "hello from the stand-in"}
            return self.send(status, answer if status < 400 else {"error": "stand-in set to fail (--api-status)"})
        self.send(404, b"not found\n", content_type="text/plain")

    # --- Discord ----------------------------------------------------------------------------------
    def discord_webhook(self, method, parts):
        # parts: {application id}, {token}[, messages, @original]
        if len(parts) < 2:
            return self.discord_error(404, 10015, "Unknown Webhook")
        token = parts[1]
        number = self.state.reply_number(token)
        original = parts[2:] == ["messages", "@original"]
        if original and method == "GET":
            content = self.state.replies.get(token)
            # Before the first edit the reply is the deferred "thinking…" (flag LOADING, 128).
            return self.send(200, self.message(number, content or "", 128 if content is None else 0))
        if original and method == "PATCH":
            content = self.body().get("content", "")
            self.state.replies[token] = content
            say(f"DISCORD reply #{number} edited:", content)
            return self.send(200, self.message(number, content, 0))
        if len(parts) == 2 and method == "POST":
            content = self.body().get("content", "")
            say(f"DISCORD reply #{number} follow-up message:", content)
            return self.send(200, self.message(number, content, 0))
        self.discord_error(404, 0, "404: Not Found")

    def discord_channel(self, parts):
        if len(parts) != 2 or parts[1] != "messages":
            return self.discord_error(404, 0, "404: Not Found")
        if "Authorization" not in self.headers:
            say("DISCORD: note: no Authorization header; real Discord would answer 401")
        body = self.body()
        lines = [body.get("content") or ""]
        for embed in body.get("embeds") or []:
            lines.append(f"[{embed.get('title', '')}] {embed.get('description', '')}")
            for field in embed.get("fields") or []:
                lines.append(f"  {field.get('name')}: {field.get('value')}")
        say(f"DISCORD alert in channel {parts[0]}:", "\n".join(line for line in lines if line))
        self.send(200, {"id": str(1_300_000_000_000_000_000 + int(time.time_ns() % 10**9)), "channel_id": parts[0],
                        "content": body.get("content", ""), "embeds": body.get("embeds") or []})

    def message(self, number, content, flags):
        return {"id": str(1_200_000_000_000_000_000 + number), "type": 20, "content": content, "flags": flags,
                "channel_id": "100000000000000002", "embeds": [], "attachments": []}

    def discord_error(self, status, code, message):
        self.send(status, {"message": message, "code": code})


_print_lock = threading.Lock()


def say(headline, text=None):
    """What the engineer watches: one block per event on stdout, with the time."""
    with _print_lock:
        print(f"\n[{time.strftime('%H:%M:%S')}] {headline}")
        if text is not None:
            for line in (text or "(empty)").splitlines():
                print(f"    | {line}")
        sys.stdout.flush()


def options_from(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8090, help="port (default 8090)")
    parser.add_argument("--repo", default="octo-org/deploy-service", help="the only repository served (GITHUB_REPO)")
    parser.add_argument("--run-seconds", type=float, default=40, help="how long a dispatched run takes (default 40)")
    parser.add_argument("--appear-seconds", type=float, default=3,
                        help="how long a new run stays out of run lists, as on GitHub (default 3)")
    parser.add_argument("--conclusion", choices=["success", "failure"], default="success",
                        help="how dispatched runs end (default success)")
    parser.add_argument("--no-run-details", action="store_true",
                        help="answer a dispatch 204 without the run's id, like an older GitHub Enterprise")
    parser.add_argument("--reject-run-details", action="store_true",
                        help="refuse return_run_details with a 400 (GitHub Enterprise 3.20 and older), then 204")
    parser.add_argument("--dispatch-status", type=int, choices=[404, 422, 403, 429],
                        help="refuse every dispatch: 404 not found, 422 unexpected input, 403/429 rate limited")
    parser.add_argument("--stale-index", action="store_true",
                        help="serve /site/index.html with Cache-Control: max-age=3600 instead of no-cache")
    parser.add_argument("--api-status", type=int, default=200, help="status of /api/health and /api/hello (default 200)")
    parser.add_argument("--no-variables", action="store_true",
                        help="start without FRONTEND_BASE_URL and VITE_API_BASE (the bot falls back to its environment)")
    parser.add_argument("--self-test", action="store_true", help="check every endpoint on a free port and exit")
    options = parser.parse_args(argv)
    try:
        loopback = options.host == "localhost" or ipaddress.ip_address(options.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        parser.error(f"--host {options.host} is not a loopback address: the stand-in accepts any token and "
                     "must never be reachable from another machine")
    if options.reject_run_details:
        options.no_run_details = True
    return options


def serve(options, clock=time.time):
    server = ThreadingHTTPServer((options.host, options.port), Handler)
    server.daemon_threads = True
    options.port = server.server_address[1]
    server.state = State(options, clock)
    return server


def self_test():
    """Every endpoint once, on a free loopback port, with a hand-moved clock (no sleeping). Exit 0 if all pass."""
    now = [time.time()]
    options = options_from(["--port", "0", "--run-seconds", "40", "--appear-seconds", "3"])
    server = serve(options, clock=lambda: now[0])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base, repo = server.state.base, f"{server.state.base}/repos/{options.repo}/actions"

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def call(method, url, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with opener.open(request, timeout=5) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def check(condition, what):
        if not condition:
            raise AssertionError(what)
        print(f"ok  {what}")

    try:
        status, _, body = call("GET", f"{repo}/workflows?per_page=100")
        names = [w["name"] for w in json.loads(body)["workflows"]]
        check(status == 200 and names == ["Client Deploy", "Diagnose on Demand"], "lists the two workflows")
        status, _, body = call("POST", f"{repo}/workflows/161335/dispatches", {
            "ref": "main", "inputs": {"correlation_id": "c-1", "requester": "1", "api_base": f"{base}/api"},
            "return_run_details": True})
        details = json.loads(body)
        run_id = details["workflow_run_id"]
        check(status == 200 and details["html_url"].endswith(f"/actions/runs/{run_id}"), "dispatch returns run details")
        status, _, body = call("GET", f"{repo}/runs/{run_id}")
        run = json.loads(body)
        check(run["status"] == "queued" and run["display_title"] == "Deploy c-1", "a new run is queued, titled by its id")
        status, _, body = call("GET", f"{repo}/workflows/client-deploy.yml/runs?event=workflow_dispatch"
                                      f"&created=%3E%3D{iso(now[0] - 60)}&per_page=100")
        check(json.loads(body)["total_count"] == 0, "a new run is not listed at once")
        now[0] += 10
        status, _, body = call("GET", f"{repo}/workflows/client-deploy.yml/runs?event=workflow_dispatch"
                                      f"&created=%3E%3D{iso(now[0] - 60)}&per_page=100")
        listed = json.loads(body)["workflow_runs"]
        check([r["id"] for r in listed] == [run_id] and listed[0]["status"] == "in_progress",
              "listed by event and created, in progress")
        now[0] += 40
        status, _, body = call("GET", f"{repo}/runs/{run_id}")
        check(json.loads(body)["conclusion"] == "success", "completes with the conclusion")
        status, _, body = call("GET", f"{repo}/runs/{run_id}/jobs?filter=latest&per_page=100&page=1")
        jobs = json.loads(body)["jobs"]
        check([j["name"] for j in jobs] == ["build", "deploy"] and all(j["conclusion"] == "success" for j in jobs),
              "jobs with steps")
        status, _, body = call("GET", f"{repo}/workflows/161335/runs?per_page=2&page=2")
        page = json.loads(body)
        check(page["total_count"] == 4 and len(page["workflow_runs"]) == 2, "pages the run list")
        status, _, body = call("GET", f"{repo}/workflows/161335/runs?status=completed&created="
                                      f"{iso(now[0] - 30 * 3600)}..{iso(now[0])}")
        check(json.loads(body)["total_count"] == 3, "filters a created range and status")

        server.state.options.no_run_details = True
        status, _, body = call("POST", f"{repo}/workflows/diagnose-on-demand.yml/dispatches",
                               {"ref": "main", "inputs": {"correlation_id": "c-2"}, "return_run_details": True})
        check(status == 204 and body == b"", "--no-run-details answers 204")
        now[0] += 50
        status, _, body = call("GET", f"{repo}/workflows/161336/runs?event=workflow_dispatch")
        diagnose = json.loads(body)["workflow_runs"][0]
        check(diagnose["display_title"] == "Diagnose c-2", "the run is found by its correlation id")
        status, _, body = call("GET", f"{repo}/runs/{diagnose['id']}/artifacts?per_page=100&page=1")
        artifact = json.loads(body)["artifacts"][0]
        check(artifact["name"] == "diagnose-summary", "the diagnose run has its artifact")
        status, headers, _ = call("GET", f"{repo}/artifacts/{artifact['id']}/zip", headers={"Authorization": "Bearer x"})
        location = headers.get("Location", "")
        check(status == 302 and location.startswith(f"{base}/storage/"), "the zip redirects to storage")
        status, _, _ = call("GET", location, headers={"Authorization": "Bearer x"})
        check(status == 400, "storage refuses a request that carries the token")
        status, _, data = call("GET", location)
        summary = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("summary.json"))
        oks = [c["ok"] for c in summary["checks"]]
        check(status == 200 and True in oks and False in oks, "the zip holds summary.json with a failed check")

        status, _, _ = call("POST", f"{repo}/workflows/161335/dispatches", {"ref": "main", "inputs": {"correlation_id": "c",
                                                                                                 "nope": "1"}})
        check(status == 422, "an undeclared input is refused")
        server.state.options.dispatch_status = 429
        status, headers, _ = call("POST", f"{repo}/workflows/161335/dispatches", {"ref": "main", "inputs": {}})
        check(status == 429 and headers.get("x-ratelimit-remaining") == "0", "--dispatch-status 429 is rate limited")
        server.state.options.dispatch_status = None

        status, _, body = call("GET", f"{repo}/variables/VITE_API_BASE")
        check(json.loads(body)["value"] == f"{base}/api", "variables are seeded")
        check(call("PATCH", f"{repo}/variables/NEW_ONE", {"value": "x"})[0] == 404, "PATCH of an unknown variable is 404")
        check(call("POST", f"{repo}/variables", {"name": "NEW_ONE", "value": "x"})[0] == 201, "POST creates it")
        check(call("PATCH", f"{repo}/variables/NEW_ONE", {"value": "y"})[0] == 204, "PATCH updates it")

        status, headers, _ = call("GET", f"{base}/site/index.html")
        check(status == 200 and headers.get("Cache-Control") == "no-cache", "the frontend's index is no-cache")
        check(call("GET", f"{base}/api/health")[0] == 200 and call("GET", f"{base}/api/hello")[0] == 200, "the API answers")

        hook = f"{base}/webhooks/100000000000000003/fake-token/messages/@original"
        check(json.loads(call("GET", hook)[2])["flags"] == 128, "an unedited reply is still thinking")
        check(call("PATCH", hook, {"content": "✅ done"})[0] == 200, "a reply is edited")
        reply = json.loads(call("GET", hook)[2])
        check(reply["content"] == "✅ done" and reply["flags"] == 0, "the edit is read back")
        status, _, _ = call("POST", f"{base}/channels/42/messages",
                            {"embeds": [{"title": "Workflow dispatch failed", "description": "test"}]},
                            {"Authorization": "Bot fake"})
        check(status == 200, "an alert is posted")
        check(call("GET", f"{repo}/runs/1")[0] == 404 and call("GET", f"{base}/repos/other/repo/actions/runs/1")[0] == 404,
              "unknown runs and repositories are 404")
    except AssertionError as failure:
        print(f"FAIL {failure}")
        return 1
    finally:
        server.shutdown()
        server.server_close()
    print("self-test passed")
    return 0


def main(argv):
    options = options_from(argv)
    if options.self_test:
        return self_test()
    server = serve(options)
    state = server.state
    say(f"stand-in for GitHub ({options.repo}) and Discord on {state.base}",
        f"runs take {options.run_seconds:g} s and end in {options.conclusion}"
        f"{'; dispatch answers 204' if options.no_run_details else ''}"
        f"{'; dispatch refused with HTTP %d' % options.dispatch_status if options.dispatch_status else ''}\n"
        f"FRONTEND_BASE_URL={state.variable('FRONTEND_BASE_URL')}  VITE_API_BASE={state.variable('VITE_API_BASE')}\n"
        "Discord replies and alerts appear below; requests go to stderr. Ctrl-C stops it.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
