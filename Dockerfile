# The official Odoo 19 image plus the OCA addons our addons depend on (requirements-oca.txt).
# Their wheels require `odoo==19.0.*`, which PyPI does not have: installed without dependencies,
# they join Odoo's `odoo.addons` namespace by themselves (see README, Production).
FROM odoo:19
USER root
COPY requirements-oca.txt /tmp/requirements-oca.txt
RUN pip3 install --no-cache-dir --no-deps --break-system-packages -r /tmp/requirements-oca.txt \
    && rm /tmp/requirements-oca.txt
USER odoo
