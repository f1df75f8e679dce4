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

    def _mounts(self, service="odoo"):
        mounts = {}
        for volume in self.services[service]["volumes"]:
            source, target = volume.split(":")[:2]
            mounts[target] = source
        return mounts

    def _conf(self, name):
        parser = configparser.ConfigParser()
        parser.read(REPO / "config" / name)
        return parser["options"]

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

    def test_default_profile_is_db_and_odoo(self):
        """`docker compose up` starts what it always did: db and odoo on odoo.prod.conf, which
        depend on nothing of the `scale` profile."""
        default = {name for name, service in self.services.items() if not service.get("profiles")}
        self.assertEqual(default, {"db", "odoo"})
        for name in default:
            self.assertLessEqual(set(self.services[name].get("depends_on", {})), default, name)
        self.assertEqual(self._mounts()["/etc/odoo/odoo.conf"], "./config/odoo.prod.conf")
        self.assertNotIn("db_replica_host", self._conf("odoo.prod.conf"))

    def test_scale_profile_replica_streams_from_db(self):
        """db-replica is a streaming replica of db, cloned with pg_basebackup -R by the replication
        role that db's init script creates and lets in (pg_hba), with the same password."""
        db, replica = self.services["db"], self.services["db-replica"]
        self.assertEqual(replica["profiles"], ["scale"])
        self.assertEqual(replica["image"], db["image"], "same PostgreSQL major version")
        self.assertEqual(replica["depends_on"]["db"]["condition"], "service_healthy")
        self.assertIn("healthcheck", replica)
        script = replica["command"][-1]
        self.assertIn("pg_basebackup", script)
        command = script[script.index("pg_basebackup") : script.index("chmod")]
        backup = shlex.split(command.replace("\\\n", " "))
        self.assertIn("--host=db", backup)
        self.assertIn("--write-recovery-conf", backup)  # standby.signal + primary_conninfo: a standby
        self.assertIn("--wal-method=stream", backup)
        self.assertIn("exec postgres", script)
        # the replication role: created on db by the mounted init script, with the replica's password
        init = self._mounts("db")["/docker-entrypoint-initdb.d/10-replication.sh"]
        init_text = (REPO / init).read_text()
        self.assertIn("REPLICATION LOGIN", init_text)
        self.assertIn("host replication ${REPLICATION_USER} all scram-sha-256", init_text)
        self.assertIn('REPLICATION_USER="${REPLICATION_USER:-replicator}"', init_text)
        self.assertIn("--username=replicator", backup)
        self.assertTrue(db["environment"]["REPLICATION_PASSWORD"])
        self.assertEqual(replica["environment"]["PGPASSWORD"], db["environment"]["REPLICATION_PASSWORD"])
        self.assertIn("db-replica-data", self.compose["volumes"])
        self.assertNotEqual(self._mounts("db-replica")["/var/lib/postgresql/data"], "db-data")

    def test_scale_profile_odoo_reads_from_the_replica(self):
        """odoo-scale: the same image, addons and database as odoo, its own config routing
        read-only requests to the replica service, more HTTP workers, shared filestore."""
        odoo, scale = self.services["odoo"], self.services["odoo-scale"]
        self.assertEqual(scale["profiles"], ["scale"])
        self.assertEqual((scale["image"], scale["build"]), (odoo["image"], odoo["build"]))
        self.assertEqual(scale["depends_on"]["db"]["condition"], "service_healthy")
        self.assertEqual(scale["depends_on"]["db-replica"]["condition"], "service_healthy")
        self.assertIn("healthcheck", scale)
        mounts, scale_mounts = self._mounts(), self._mounts("odoo-scale")
        self.assertEqual(scale_mounts["/etc/odoo/odoo.conf"], "./config/odoo.scale.conf")
        for target in ("/mnt/extra-addons", "/var/lib/odoo"):  # addons; filestore and sessions
            self.assertEqual(scale_mounts[target], mounts[target], target)
        host_ports = [{port.rsplit(":", 1)[0] for port in node["ports"]} for node in (odoo, scale)]
        self.assertFalse(host_ports[0] & host_ports[1], "the two nodes publish different host ports")
        prod, conf = self._conf("odoo.prod.conf"), self._conf("odoo.scale.conf")
        self.assertIn(conf["db_replica_host"], self.services, "db_replica_host names a service")
        self.assertEqual(conf["db_replica_host"], "db-replica")
        self.assertEqual(int(conf["db_replica_port"]), 5432)
        self.assertGreater(int(conf["workers"]), int(prod["workers"]))
        for key in (
            "addons_path",
            "data_dir",
            "db_host",
            "db_port",
            "db_user",
            "db_name",
            "dbfilter",
            "list_db",
            "proxy_mode",
            "http_port",
            "gevent_port",
        ):
            self.assertEqual(conf[key], prod[key], key)
        for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
            self.assertGreater(int(conf[limit]), 0)
