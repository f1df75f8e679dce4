# The two commands of the README: `make run` and `make test`. Everything else is optional.
.PHONY: run test test-one test-core lint bootstrap stop
run:        ## set up everything (first call), create the demo chain database once, serve it on :8069
	@scripts/run.sh
test:       ## set up everything, build a fresh test database, run all tests and POS tours
	@scripts/test.sh
test-one:   ## one test file on the existing test database (pytest-odoo): make test-one T=addons/x/tests/test_y.py
	@scripts/test_one.sh
test-core:  ## Odoo's own loyalty, pos_loyalty and point_of_sale suites with our addons installed
	@scripts/test_core.sh
lint:       ## ruff + pylint-odoo
	@scripts/lint.sh
bootstrap:  ## only fetch Odoo, build the venv, write .run/odoo.conf
	@scripts/bootstrap.sh --browser
stop:       ## stop the project-local PostgreSQL cluster
	@scripts/pg.sh stop
