"""Recipe: a provisioning client's whole workflow in Python's unittest, standard library only.

Starts gij-mock with a fixed clock (`--clock`: nothing is indexed until the test moves the indexing clock
with POST /__mock/index) and a one-second index per repository, then does what a provisioning script
does: add a GitHub integration, wait until the repositories it discovered are indexed (polling Reindex
status), switch one off, reindex, and remove the integration, seeing its repositories DISABLED until the
queued removal runs and gone after. Every id, thread id and date is fixed, so each is asserted exactly.

Run from a project where gij-mock is installed: python3 -m unittest test_provisioning.py
(GIJ_MOCK_COMMAND, default `npx gij-mock`, is the command that starts it.)
"""
import base64
import json
import os
import re
import shlex
import signal
import subprocess
import unittest
import urllib.error
import urllib.request

LISTENING = re.compile(r"^gij-mock listening on (http://[^\s/]+:\d+\S*)$")
CLOCK = 1_700_000_000_000  # epoch ms: every initDate, and where the indexing clock starts
INDEX_MS = 1000  # --index-delay: how long each repository is INDEXING on that clock
ADMIN = "Basic " + base64.b64encode(b"admin:admin").decode()


class ProvisioningWorkflowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        command = shlex.split(os.environ.get("GIJ_MOCK_COMMAND", "npx gij-mock"))
        # Its own process group: npx starts a child, and stopping the group stops both.
        cls.server = subprocess.Popen(
            [*command, "--port", "0", "--log-level", "warn", "--clock", str(CLOCK), "--index-delay", str(INDEX_MS)],
            stdout=subprocess.PIPE, text=True, start_new_session=True,
        )
        first_line = cls.server.stdout.readline().strip()
        match = LISTENING.match(first_line)
        if not match:
            os.killpg(cls.server.pid, signal.SIGKILL)
            raise RuntimeError(f"gij-mock did not start: {first_line!r}")
        cls.base_url = match.group(1)

    @classmethod
    def tearDownClass(cls):
        os.killpg(cls.server.pid, signal.SIGTERM)
        cls.server.wait(timeout=10)
        cls.server.stdout.close()

    def setUp(self):
        # A session of its own, emptied: ids start at 1 and the indexing clock at CLOCK.
        self.assertEqual(self.call("POST", "/__mock/reset")[0], 200)

    def call(self, method, path, body=None):
        url = self.base_url + (path if path.startswith(("/rest/", "/__mock/")) else "/rest/gitplugin/1.0" + path)
        headers = {"Authorization": ADMIN, "X-Mock-Session": "python-provisioning"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def ok(self, method, path, body=None):
        status, answer = self.call(method, path, body)
        self.assertEqual(status, 200, answer)
        return answer

    def repositories(self):
        """(id, displayName, state, lastIndexedDate, disabled) of every repository."""
        return [(r["id"], r["displayName"], r.get("state"), r.get("lastIndexedDate"), r["disabled"]) for r in self.ok("GET", "/repository")["repositories"]]

    def wait_until_finished(self, status_path):
        """Polls Reindex status, moving the indexing clock one index at a time; returns the answers seen."""
        seen = [self.ok("GET", status_path)]
        while not seen[-1]["finished"]:
            self.assertLess(len(seen), 10, "still not finished after 9 indexes")
            self.ok("POST", "/__mock/index", {"ms": INDEX_MS})
            seen.append(self.ok("GET", status_path))
        return seen

    def test_add_wait_until_indexed_disable_reindex_remove(self):
        # 1. Add: the integration is id 1; the three repositories the host has are discovered as 2, 3, 4.
        added = self.ok("POST", "/integration", {"type": "GITHUB", "pat": "ghp-from-python", "displayName": "TestOrg on GitHub"})["integration"]
        self.assertEqual((added["id"], added["initDate"]), (1, CLOCK))
        self.assertNotIn("lastIndexedDate", added)
        self.assertNotIn("pat", added)
        self.assertEqual(self.repositories(), [
            (2, "test-repo", "QUEUED", None, False), (3, "acme", "QUEUED", None, False), (4, "applanix-site-viewer", "QUEUED", None, False),
        ])
        listed = self.ok("GET", "/repository")["repositories"]
        self.assertEqual({(r["trackedFolderId"], r["group"], r["integrationType"]) for r in listed}, {(1, "TestOrg", "GITHUB")})
        self.assertEqual(listed[0]["origin"], "https://github.com/TestOrg/test-repo.git")

        # 2. Wait until indexed: one repository per second of the indexing clock.
        polls = self.wait_until_finished("/rest/gitplugin/1.0/index.json")
        self.assertEqual([p["lastOperationPercent"] for p in polls], [0, 33.3, 66.7, 100])
        self.assertEqual(polls[-1]["messages"], {"Indexing test-repo": 100, "Indexing acme": 100, "Indexing applanix-site-viewer": 100})
        self.assertEqual(self.repositories(), [
            (2, "test-repo", "UPDATED", CLOCK + 1000, False), (3, "acme", "UPDATED", CLOCK + 2000, False),
            (4, "applanix-site-viewer", "UPDATED", CLOCK + 3000, False),
        ])
        self.assertEqual(self.ok("GET", "/integration/1")["integration"][0]["lastIndexedDate"], CLOCK + 3000)

        # 3. Switch one off, then reindex everything: the disabled one is skipped.
        self.assertEqual(self.ok("PUT", "/repository/3/disable?disable=true"), {"success": True})
        started = self.ok("POST", "/rest/gitplugin/2.0/reindex", {})
        self.assertEqual(started, {"success": True, "finished": False, "threadId": "00000000-0000-4000-8000-000000000001"})
        polls = self.wait_until_finished(f"/rest/gitplugin/1.0/index.json?threadId={started['threadId']}")
        self.assertEqual([(p["messages"], p["lastOperationPercent"]) for p in polls], [
            ({"Indexing test-repo": 0, "Indexing applanix-site-viewer": 0}, 0),
            ({"Indexing test-repo": 100, "Indexing applanix-site-viewer": 0}, 50),
            ({"Indexing test-repo": 100, "Indexing applanix-site-viewer": 100}, 100),
        ])
        self.assertEqual(polls[-1]["errors"], {})
        self.assertEqual(self.repositories(), [
            (2, "test-repo", "UPDATED", CLOCK + 4000, False), (3, "acme", "UPDATED", CLOCK + 2000, True),
            (4, "applanix-site-viewer", "UPDATED", CLOCK + 5000, False),
        ])

        # 4. Remove the integration: gone at once; its repositories DISABLED until the queued removal runs.
        self.assertEqual(self.ok("DELETE", "/integration/1"), {"success": True})
        self.assertEqual(self.ok("GET", "/integration"), {"success": True, "integrations": []})
        self.assertEqual([(r[0], r[4]) for r in self.repositories()], [(2, True), (3, True), (4, True)])
        self.assertEqual(self.ok("POST", "/__mock/index", {"ms": 0}), {"success": True, "clock": CLOCK + 5000, "idle": True})
        self.assertEqual(self.repositories(), [])
        self.assertEqual(self.call("GET", "/integration/2")[0], 404)


if __name__ == "__main__":
    unittest.main()
