[package]
name = "runc"
edition = "v0.9.0"
version = "1.1.12"
