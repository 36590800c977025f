"""Recipe: Python's unittest against gij-mock, standard library only.

Starts `npx gij-mock --port 0`, reads the port from its first line
("gij-mock listening on http://127.0.0.1:<port>"), provisions an integration as a Python client
would (urllib, Basic auth, JSON), and stops the server by its process group id.
Run from a project where gij-mock is installed: python3 -m unittest test_gij_mock.py
"""
import base64
import json
import os
import re
import signal
import subprocess
import unittest
import urllib.error
import urllib.request

LISTENING = re.compile(r"^gij-mock listening on (http://[^\s/]+:(\d+)\S*)$")


class GijMockTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Its own process group: npx starts a child, and stopping the group stops both.
        cls.server = subprocess.Popen(
            ["npx", "gij-mock", "--port", "0", "--log-level", "warn"],
            stdout=subprocess.PIPE, text=True, start_new_session=True,
        )
        first_line = cls.server.stdout.readline().strip()
        match = LISTENING.match(first_line)
        if not match:
            cls.server.kill()
            raise RuntimeError(f"gij-mock did not start: {first_line!r}")
        cls.base_url, cls.port = match.group(1), int(match.group(2))
        cls.api = f"{cls.base_url}/rest/gitplugin/1.0"

    @classmethod
    def tearDownClass(cls):
        os.killpg(cls.server.pid, signal.SIGTERM)
        cls.server.wait(timeout=10)
        cls.server.stdout.close()

    def call(self, method, path, body=None, user="admin:admin"):
        headers = {"Authorization": "Basic " + base64.b64encode(user.encode()).decode(), "X-Mock-Session": "python"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.api + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def test_provision_gitlab_integration_then_list_it_without_its_token(self):
        status, added = self.call("POST", "/integration", {"type": "GITLAB_SERVER", "origin": "https://gitlab.example.org", "pat": "glpat-python", "displayName": "from python"})
        self.assertEqual(status, 200, added)
        integration_id = added["integration"]["id"]
        status, listed = self.call("GET", f"/integration/{integration_id}")
        self.assertEqual(status, 200)
        self.assertEqual(listed["integration"][0]["displayName"], "from python")
        self.assertNotIn("pat", listed["integration"][0])

    def test_non_administrator_is_refused_with_the_error_envelope(self):
        status, body = self.call("POST", "/integration", {"type": "GITHUB", "pat": "x"}, user="user:user")
        self.assertEqual(status, 403)
        self.assertEqual(body["success"], False)
        self.assertIn("error", body)


if __name__ == "__main__":
    unittest.main()
