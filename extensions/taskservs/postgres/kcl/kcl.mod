[package]
name = "postgres"
edition = "v0.9.0"
version = "16.1.0"
