[package]
name = "aws"
edition = "v0.9.0"
version = "2.0.0"
