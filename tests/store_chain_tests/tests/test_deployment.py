import configparser
import re
import shlex
from pathlib import Path

import yaml

from odoo.tests import BaseCase, tagged

REPO = Path(__file__).resolve().parents[3]


@tagged("post_install", "-at_install")
class TestDeployment(BaseCase):
    """docker-compose.yml and the production odoo.conf agree (Docker itself cannot run here)."""

    def setUp(self):
        super().setUp()
        self.compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
        self.services = self.compose["services"]

    def test_compose_uses_official_images_with_healthchecks(self):
        odoo, db = self.services["odoo"], self.services["db"]
        self.assertTrue(odoo["image"].startswith("odoo:19"))
        self.assertTrue(db["image"].startswith("postgres:"))
        self.assertIn("healthcheck", odoo)
        self.assertIn("healthcheck", db)
        self.assertEqual(odoo["depends_on"]["db"]["condition"], "service_healthy")

    def test_the_image_installs_the_oca_addons_we_depend_on(self):
        """The odoo service is built FROM the official image (Dockerfile) with every OCA addon of
        requirements-oca.txt, which our manifests depend on (auditlog)."""
        self.assertEqual(self.services["odoo"]["build"], ".")
        dockerfile = (REPO / "Dockerfile").read_text()
        self.assertIn("FROM odoo:19", dockerfile)
        self.assertIn("--no-deps", dockerfile)
        self.assertIn("requirements-oca.txt", dockerfile)
        wheels = [
            line.split("==")[0].strip()
            for line in (REPO / "requirements-oca.txt").read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        self.assertIn("odoo-addon-auditlog", wheels)

    def _mounts(self):
        mounts = {}
        for volume in self.services["odoo"]["volumes"]:
            source, target = volume.split(":")[:2]
            mounts[target] = source
        return mounts

    def test_compose_mounts_our_addons_and_config(self):
        mounts = self._mounts()
        self.assertEqual(mounts["/mnt/extra-addons"], "./addons")
        self.assertEqual(mounts["/etc/odoo/odoo.conf"], "./config/odoo.prod.conf")
        for target, source in mounts.items():
            if source.startswith("./"):
                self.assertTrue((REPO / source).exists(), f"{source} (mounted on {target}) is missing")

    def test_production_config(self):
        conf_path = REPO / "config" / "odoo.prod.conf"
        parser = configparser.ConfigParser()
        parser.read(conf_path)
        opts = parser["options"]
        self.assertIn("/mnt/extra-addons", opts["addons_path"])
        self.assertGreaterEqual(int(opts["workers"]), 2)
        self.assertEqual(opts["proxy_mode"], "True")
        self.assertEqual(opts["list_db"], "False")
        self.assertEqual(opts["db_host"], "db")
        env = self.services["db"]["environment"]
        self.assertEqual(opts["db_user"], env["POSTGRES_USER"])
        for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
            self.assertGreater(int(opts[limit]), 0)
        self.assertIn("db_replica_host", conf_path.read_text(), "replica setting documented")
        self.assertNotIn("db_replica_host", opts, "replica stays commented out by default")

    def test_the_install_command_installs_every_addon_and_chinese(self):
        """The first-install command of the README and of the compose file's header installs every
        addon of the chain (the eLearning bridge is optional: it brings a website) and zh_CN."""
        addons = {path.parent.name for path in (REPO / "addons").glob("*/__manifest__.py")} - {
            "store_training_slides"
        }
        sources = {
            "README.md": (REPO / "README.md").read_text(),
            "docker-compose.yml": (REPO / "docker-compose.yml").read_text(),
        }
        for name, text in sources.items():
            commands = re.findall(r"docker compose run --rm odoo (odoo .*--stop-after-init)", text)
            self.assertTrue(commands, f"{name}: no install command")
            for command in commands:
                args = shlex.split(command)
                installed = set(args[args.index("-i") + 1].split(","))
                self.assertLessEqual(addons, installed, f"{name}: {command}")
                self.assertEqual(args[args.index("--load-language") + 1], "zh_CN", f"{name}: {command}")
