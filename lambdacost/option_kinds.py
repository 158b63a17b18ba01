"""The names `compare` knows: its option kinds, front doors and default options, as plain data.

One definition for the library (:func:`lambdacost.compare`) and the CLI (``--against``). Nothing
here imports numpy, so the command line's help can show the defaults without loading the engine.

Examples
--------
>>> from lambdacost.option_kinds import DEFAULT_OPTIONS
>>> DEFAULT_OPTIONS
('ec2:t4g.small', 'beanstalk:t3.small', 'fargate:0.5vcpu-1gb', 'express:1vcpu-2gb', 'lmi:m7g.xlarge')
"""

from __future__ import annotations

__all__ = ["DEFAULT_OPTIONS", "FRONT_DOORS", "OPTION_KINDS"]

#: How requests reach a Lambda function: Function URLs are free, API Gateway bills per request.
FRONT_DOORS = ("function-url", "http-api", "rest-api")
#: Option kinds and the spec used when only the kind is given.
OPTION_KINDS = {
    "lambda": "",
    "ec2": "t4g.small",
    "beanstalk": "t3.small",
    "fargate": "0.5vcpu-1gb",
    # Express Mode's task default: "cpu: 1024 ... 1 vCPU", "memory: 2048 ... 2 GB" (Amazon ECS
    # developer guide, Resources created by Amazon ECS Express Mode services).
    "express": "1vcpu-2gb",
    "apprunner": "1vcpu-2gb",
    "lmi": "m7g.xlarge",
}
#: What ``compare`` weighs Lambda against when no options are named: what a new customer can buy.
#: App Runner is not among them: it is closed to new customers since 2026-04-30 and AWS points
#: them to ECS Express Mode (``express``); ``apprunner`` prices it for the customers who have it.
DEFAULT_OPTIONS = (
    "ec2:t4g.small",
    "beanstalk:t3.small",
    "fargate:0.5vcpu-1gb",
    "express:1vcpu-2gb",
    "lmi:m7g.xlarge",
)
