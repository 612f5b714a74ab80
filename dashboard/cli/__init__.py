"""The ``suivi`` command line: one group, one module per family of commands."""

from __future__ import annotations

import click
from sqlalchemy.exc import OperationalError

from dashboard.cli.catalogue import catalogue
from dashboard.cli.database import check, init
from dashboard.cli.demo import demo
from dashboard.cli.evaluation import evaluation
from dashboard.cli.load import load
from dashboard.cli.loads import loads
from dashboard.cli.profiles import profiles
from dashboard.cli.serve import serve
from dashboard.cli.sets import sets
from dashboard.cli.users import audit, users
from dashboard.log_config import configure_logging
from dashboard.routes.errors import DATABASE_MESSAGES
from indicators.catalogue import CatalogueValidationError
from indicators.config import ConfigError, load_settings
from indicators.store import DatabaseError, DatabaseURLError


class FriendlyGroup(click.Group):
    """Turns the errors a user can fix into one French line and exit code 2, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (ConfigError, DatabaseURLError) as error:
            raise click.UsageError(str(error)) from None
        except DatabaseError as error:  # busy, too slow or unreachable: nothing was written
            click.echo(f"Erreur : {DATABASE_MESSAGES[error.code]}", err=True)
            ctx.exit(2)
        except CatalogueValidationError as error:
            click.echo(f"Erreur : {error}", err=True)
            ctx.exit(1)
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            click.echo(f"Erreur : base de données injoignable ({reason})", err=True)
            ctx.exit(2)


@click.group(cls=FriendlyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="suivi-territoires", prog_name="suivi")
def main() -> None:
    """Suivi des territoires : base, données de démonstration et serveur web.

    Les réglages viennent des variables d'environnement SUIVI_* (voir le README).
    """
    configure_logging(load_settings())


main.add_command(init)
main.add_command(check)
main.add_command(demo)
main.add_command(serve)
main.add_command(catalogue)
main.add_command(sets)
main.add_command(evaluation)
main.add_command(users)
main.add_command(audit)
for command in (load, loads, profiles):
    main.add_command(command)
