"""falco-deploy test stand-in for Falco (not the real Falco).

Implements the parts of Falco's command line, configuration loading, rules
validation, webserver and alert output that falco-deploy depends on, with
two real detectors (an inotify watch on /etc/shadow and a /proc poller for
new shells) so that end-to-end tests see genuine alerts.
"""
